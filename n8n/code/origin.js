// Shared by the nodes that check a callback URL ("Vérifier la signature", "Signer l'échec"): each Code node runs
// alone in n8n, so scripts/n8n_workflow.py puts this file at the head of their code.
// scheme://host[:port] of a URL, or null. n8n's Code sandbox has no URL class, hence this; a URL with user info
// ("http://lumira@elsewhere") has no origin here, so it never matches.
function originOf(url) {
  const match = /^(https?):\/\/([^/?#\\]+)/i.exec(String(url || ''));
  if (!match || match[2].includes('@')) return null;
  const scheme = match[1].toLowerCase();
  const host = match[2].toLowerCase().replace(scheme === 'https' ? /:443$/ : /:80$/, '');
  return `${scheme}://${host}`;
}
