// Lumira signs "{X-Lumira-Timestamp}.{raw body}" (HMAC-SHA256, hex) with N8N_WEBHOOK_SECRET. The check runs on
// the exact bytes received (webhook option "Raw Body"): any re-serialised body would not match.
// Any refusal is thrown: this node's error output leads to "Signer l'échec", which calls Lumira back.
const crypto = require('crypto');
const MAX_AGE_SECONDS = 300;
const DEFAULT_MODEL = 'gpt-4o-mini';
const REQUIRED = ['orderId', 'attemptId', 'callbackUrl', 'messages', 'responseSchema'];
const LABELS = { user: 'Demande', assistant: 'Votre version précédente (JSON)' };
// originOf(): n8n/code/origin.js, which scripts/n8n_workflow.py puts ahead of this code.

const item = $input.first();
const secret = $env.N8N_WEBHOOK_SECRET || '';
const headers = item.json.headers || {};
const timestamp = String(headers['x-lumira-timestamp'] || '');
const signature = Buffer.from(String(headers['x-lumira-signature'] || '').trim().toLowerCase());

let raw = null;
const binary = item.binary && item.binary.data;
if (binary && binary.id && this && this.helpers) {
  raw = await this.helpers.getBinaryDataBuffer(0, 'data'); // binary data kept on disk (filesystem mode)
} else if (binary && typeof binary.data === 'string') {
  raw = Buffer.from(binary.data, 'base64');
}
if (!raw) throw new Error("Requête Lumira refusée : corps brut absent (option « Raw Body » du webhook).");
if (!secret) throw new Error("Requête Lumira refusée : N8N_WEBHOOK_SECRET manque dans l'environnement de n8n.");

const expected = Buffer.from(crypto.createHmac('sha256', secret).update(`${timestamp}.`).update(raw).digest('hex'));
const valid = /^\d+$/.test(timestamp) && signature.length === expected.length && crypto.timingSafeEqual(signature, expected);
if (!valid) {
  throw new Error('Signature Lumira invalide : N8N_WEBHOOK_SECRET doit être le même dans Lumira et dans n8n.');
}
if (Math.abs(Date.now() / 1000 - Number(timestamp)) > MAX_AGE_SECONDS) {
  throw new Error("Requête Lumira périmée (horodatage de plus de 5 minutes) : vérifiez l'horloge des deux serveurs.");
}

let request;
try {
  request = JSON.parse(raw.toString('utf8'));
} catch (error) {
  throw new Error("Requête Lumira illisible : le corps n'est pas du JSON.");
}
const missing = REQUIRED.filter((key) => request[key] === undefined || request[key] === null || request[key] === '');
if (missing.length) throw new Error(`Requête Lumira incomplète : ${missing.join(', ')} manquant(s).`);

// A callback URL is only followed if it points at Lumira (LUMIRA_CALLBACK_BASE), when that variable is set.
const base = $env.LUMIRA_CALLBACK_BASE || '';
if (base && (originOf(request.callbackUrl) === null || originOf(request.callbackUrl) !== originOf(base))) {
  throw new Error(`Requête Lumira refusée : callbackUrl hors de LUMIRA_CALLBACK_BASE (${originOf(base)}).`);
}

// The chain takes one system message and one user prompt: a revision's earlier turns (first request, previous
// version) are kept in order, labelled, ahead of the last request.
const messages = Array.isArray(request.messages) ? request.messages : [];
const system = messages.filter((m) => m.role === 'system').map((m) => String(m.content)).join('\n\n');
const turns = messages.filter((m) => m.role !== 'system');
if (!system || !turns.length || turns[turns.length - 1].role !== 'user') {
  throw new Error('Requête Lumira incomplète : il faut un message system et un dernier message user.');
}
const prompt = turns.length === 1
  ? String(turns[0].content)
  : turns.map((m, index) => `### ${index === turns.length - 1 ? 'Nouvelle demande' : LABELS[m.role] || m.role}\n\n${m.content}`)
    .join('\n\n');

const model = String(request.model || $env.LUMIRA_LLM_MODEL || DEFAULT_MODEL);
const responseFormat = {
  response_format: {
    type: 'json_schema',
    json_schema: { name: 'lumira_reading', schema: request.responseSchema, strict: true },
  },
};
return [{
  json: {
    verified: true,
    orderId: request.orderId,
    orderNumber: request.orderNumber,
    attemptId: request.attemptId,
    level: request.level,
    callbackUrl: request.callbackUrl,
    requiredKeys: Array.isArray(request.responseSchema.required) ? request.responseSchema.required : [],
    llm: { system, prompt, model, extraBody: JSON.stringify(responseFormat) },
  },
}];
