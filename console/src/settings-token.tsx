import { useState } from 'preact/hooks';
import { ApiError, api } from './api.ts';

/** The signed-in user's API token: personsd keeps only its hash, so a new one is issued (the old one stops) and shown once. */
export function TokenSettings() {
  const [token, setToken] = useState('');
  const [error, setError] = useState('');
  const issue = async () => {
    if (!confirm('Issue a new API token? Your current token stops working at once.')) return;
    try {
      setToken((await api<{ api_token: string }>('POST', '/console/api/token')).data.api_token);
      setError('');
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    }
  };
  return (
    <>
      <p>Integrations send your token in the <code>x-api-token</code> header (or <code>?api_token=</code>). personsd stores tokens only as hashes, so it cannot show your current one.</p>
      <button type="button" onClick={issue}>New API token</button>
      {error && <p class="error" role="alert">{error}</p>}
      {token && (
        <div class="notice" role="status">
          <p>Your new token. Copy it now: it is not shown again.</p>
          <input type="text" readOnly value={token} aria-label="New API token" onFocus={(e) => (e.target as HTMLInputElement).select()} />
        </div>
      )}
    </>
  );
}
