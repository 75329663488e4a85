const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export interface ConsentRequest {
  appName: string;
  scopes: string;
  clientId: string;
  redirectUri: string;
  state?: string;
}

/**
 * personsd's stand-in for Pipedrive's "Allow and install" dialog. personsd has no user sessions, so the user
 * proves who they are with their API token; the form posts it back to /oauth/authorize.
 */
export function consentPage(request: ConsentRequest): string {
  const hidden = (name: string, value: string | undefined) => (value === undefined ? '' : `<input type="hidden" name="${name}" value="${escape(value)}">`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorize ${escape(request.appName)} - personsd</title></head>
<body>
<h1>Allow ${escape(request.appName)} to use your personsd data?</h1>
<p>It asks for these scopes: ${escape(request.scopes.split(',').join(', '))}.</p>
<form method="post" action="/oauth/authorize">
${hidden('client_id', request.clientId)}
${hidden('redirect_uri', request.redirectUri)}
${hidden('state', request.state)}
<p><label>Your API token <input type="password" name="api_token" autocomplete="off"></label></p>
<p><button type="submit" name="decision" value="allow">Allow and install</button>
<button type="submit" name="decision" value="deny">Cancel</button></p>
</form>
</body></html>
`;
}
