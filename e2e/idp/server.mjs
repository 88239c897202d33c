// A real OpenID provider for the end-to-end suite: panva's certified `oidc-provider`,
// with one confidential client for Custos and its own login page (any username, the
// password below). Started by idp-setup.ts on a free port; prints "IDP_READY <issuer>".
//
//   IDP_PORT=4444 IDP_REDIRECT_URI=http://127.0.0.1:18089/api/v1/auth/oidc/callback node idp/server.mjs
//
// Every account's claims: sub and preferred_username = the username, email
// <username>@idp.test, name "IdP <username>", and the roles of the Custos client in
// resource_access (Keycloak's shape): "operators" (a Custos system group) and
// "not-a-group" (matches no group).
//
// A second client, EMBED_CLIENT_ID, is an application that embeds Custos: it signs its
// user in here and hands the ID token to Custos (the oidc_token provider, whose IA
// identifier is that client id). Its redirect URI is EMBED_REDIRECT_URI (served by the
// test itself). Its roles in resource_access: "auditors". Profile claims are put into
// ID tokens too (conformIdTokenClaims off), as Keycloak does: a bearer ID token is all
// Custos sees of the user on that path.
import http from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

export const CLIENT_ID = 'custos-e2e';
export const CLIENT_SECRET = 'custos-e2e-secret';
export const PASSWORD = 'idp-password';
export const EMBED_CLIENT_ID = 'custos-embedding-app';
export const EMBED_CLIENT_SECRET = 'custos-embedding-app-secret';
export const EMBED_REDIRECT_URI = 'http://127.0.0.1:9/embedding-app/callback';

const port = Number(process.env.IDP_PORT);
const redirectUri = process.env.IDP_REDIRECT_URI;
if (!port || !redirectUri) {
  console.error('IDP_PORT and IDP_REDIRECT_URI are required');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'e2e-1', use: 'sig', alg: 'RS256' };

function claimsOf(username) {
  return {
    sub: username,
    preferred_username: username,
    email: `${username}@idp.test`,
    email_verified: true,
    name: `IdP ${username}`,
    resource_access: {
      [CLIENT_ID]: { roles: ['operators', 'not-a-group'] },
      [EMBED_CLIENT_ID]: { roles: ['auditors'] },
    },
  };
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }, {
    client_id: EMBED_CLIENT_ID,
    client_secret: EMBED_CLIENT_SECRET,
    redirect_uris: [EMBED_REDIRECT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  conformIdTokenClaims: false,
  jwks: { keys: [jwk] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username', 'resource_access'],
  },
  findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => claimsOf(id) }),
  // Custos is a first-party client: consent is implied (the grant is created on sign-in).
  loadExistingGrant: async (ctx) => {
    const id = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (id) return ctx.oidc.provider.Grant.find(id);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(uid, error) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
<body><main><h1>Test identity provider</h1>
${error ? `<p role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login">
<label>Username <input name="login" autocomplete="username" autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Continue</button>
</form></main></body></html>`;
}

async function body(req) {
  let raw = '';
  for await (const chunk of req) {
    raw += chunk;
    if (raw.length > 10_000) break;
  }
  return new URLSearchParams(raw);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (action === '/login' && req.method === 'POST') {
    const form = await body(req);
    const login = (form.get('login') ?? '').trim();
    if (!login || form.get('password') !== PASSWORD) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page(uid, 'Wrong username or password.'));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
    return;
  }
  if (details.prompt.name === 'consent') {
    const grant = new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    grant.addOIDCScope('openid email profile');
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(page(uid));
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  const m = /^\/interaction\/([\w-]+)(\/login)?$/.exec(new URL(req.url, issuer).pathname);
  if (!m) {
    callback(req, res);
    return;
  }
  interaction(req, res, m[1], m[2]).catch((err) => {
    res.writeHead(400, { 'Content-Type': 'text/plain' });
    res.end(`interaction failed: ${err.message}`);
  });
});
server.listen(port, '127.0.0.1', () => console.log(`IDP_READY ${issuer}`));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
