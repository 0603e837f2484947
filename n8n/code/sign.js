// The model's answer must be one JSON object (Lumira checks it against the level's schema and answers 422
// otherwise). The callback body is built ONCE, that exact string is signed with N8N_CALLBACK_SECRET and sent raw:
// re-serialising it would break the signature. Any failure here goes to "Signer l'échec" (error output).
const crypto = require('crypto');
const secret = $env.N8N_CALLBACK_SECRET || '';
if (!secret) throw new Error("N8N_CALLBACK_SECRET manque dans l'environnement de n8n.");

const request = $('Vérifier la signature').first(0).json;
const text = String($input.first().json.text ?? '').trim()
  .replace(/^```(?:json)?\s*/i, '').replace(/\s*```$/, ''); // some models fence their JSON
let content;
try {
  content = JSON.parse(text);
} catch (error) {
  throw new Error(`Le modèle n'a pas répondu en JSON valide (${text.length} caractères reçus).`);
}
if (content === null || typeof content !== 'object' || Array.isArray(content)) {
  throw new Error("Le modèle a répondu du JSON qui n'est pas un objet.");
}
// A first look at the document (Lumira checks it in full): a missing section fails here, with its name.
const missing = (request.requiredKeys || []).filter((key) => !(key in content));
if (missing.length) throw new Error(`Le document du modèle n'a pas les sections : ${missing.join(', ')}.`);

// The Basic LLM Chain does not hand the token counts on (n8n's execution log shows them): the model only.
const usage = { model: request.llm.model, promptTokens: null, completionTokens: null };
const body = JSON.stringify({ orderId: request.orderId, attemptId: request.attemptId, success: true, content, usage });
const timestamp = String(Math.floor(Date.now() / 1000));
const signature = crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
return [{ json: { callbackUrl: request.callbackUrl, body, timestamp, signature } }];
