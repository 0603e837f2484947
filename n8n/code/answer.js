// The callback is sent with "never error": n8n then resends it only after a network failure, never after an
// answer. A refusal (401, 409, 422…) was already counted by Lumira: resending a 422 would schedule a second retry
// of the attempt, and so a second model call. The refusal still fails the execution here, so that it shows in
// n8n's executions list (a wrong N8N_CALLBACK_SECRET gives 401 on every callback).
const answer = $input.first().json;
const status = Number(answer.statusCode || 0);
if (status < 200 || status >= 300) {
  const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? '');
  throw new Error(`Lumira a refusé le rappel (HTTP ${status}) : ${body.slice(0, 500)}`);
}
return [{ json: { statusCode: status, body: answer.body } }];
