const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export interface ConsentRequest {
  appName: string;
  scopes: string;
  clientId: string;
  redirectUri: string;
  state?: string;
  /** The console user signed in by session cookie: they approve with one click (the form carries the session's CSRF token). */
  signedIn?: { name: string; email: string; csrfToken: string };
  /** This page's own path and query, where the console returns after a sign-in. */
  returnTo: string;
}

/**
 * personsd's stand-in for Pipedrive's "Allow and install" dialog. A user signed in to the console approves with one
 * click; anyone else is sent to the console's sign-in, which comes back here. Pasting an API token stays possible,
 * for scripts and for users without a console password.
 */
export function consentPage(request: ConsentRequest): string {
  const hidden = (name: string, value: string | undefined) => (value === undefined ? '' : `<input type="hidden" name="${name}" value="${escape(value)}">`);
  const fields = `${hidden('client_id', request.clientId)}
${hidden('redirect_uri', request.redirectUri)}
${hidden('state', request.state)}`;
  const signedIn = request.signedIn;
  const decision = `<p><button type="submit" name="decision" value="allow">Allow and install</button>
<button type="submit" name="decision" value="deny">Cancel</button></p>`;
  const body = signedIn
    ? `<form method="post" action="/oauth/authorize">
${fields}
${hidden('csrf_token', signedIn.csrfToken)}
<p>Signed in as ${escape(signedIn.name)} (${escape(signedIn.email)}).</p>
${decision}
</form>`
    : `<p><a href="/?next=${encodeURIComponent(request.returnTo)}">Sign in to personsd</a> to answer.</p>
<details><summary>Or use your API token</summary>
<form method="post" action="/oauth/authorize">
${fields}
<p><label>Your API token <input type="password" name="api_token" autocomplete="off"></label></p>
${decision}
</form>
</details>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Authorize ${escape(request.appName)} - personsd</title></head>
<body>
<h1>Allow ${escape(request.appName)} to use your personsd data?</h1>
<p>It asks for these scopes: ${escape(request.scopes.split(',').join(', '))}.</p>
${body}
</body></html>
`;
}
