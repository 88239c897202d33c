// A real external REST authentication service for the end-to-end suite: a separate
// process with its own user directory that implements the contract Custos documents
// for `rest` providers (README, "Signing in through providers"):
//
//   POST <external URL>  {"login": "...", "password": "..."}
//   200 {"login", "email", "display_name", "roles": [...], "attributes": {...}}
//   401 wrong credentials; 400 a body that is not the expected JSON.
//
//   REST_PEER_PORT=0 node rest-peer/server.mjs   → prints "REST_PEER_READY <url>"
//
// It records the requests it answered (GET /requests) so a test can check what Custos
// sent it.
import http from 'node:http';

export const USERS = {
  dora: {
    password: 'dora-rest-password',
    answer: {
      login: 'dora',
      email: 'dora@partner.test',
      display_name: 'Dora Partner',
      roles: ['operators', 'no-such-group'],
      attributes: { cost_centre: 'CC-4711', badge: '4711' },
    },
  },
};

const seen = [];

async function readJSON(req) {
  let raw = '';
  for await (const chunk of req) {
    raw += chunk;
    if (raw.length > 64_000) throw new Error('too large');
  }
  return JSON.parse(raw);
}

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (req.method === 'GET' && path === '/requests') return send(res, 200, seen);
  if (req.method !== 'POST' || path !== '/auth') return send(res, 404, { error: 'not found' });
  let body;
  try {
    body = await readJSON(req);
  } catch {
    return send(res, 400, { error: 'expected a JSON body' });
  }
  if (typeof body?.login !== 'string' || typeof body?.password !== 'string') {
    return send(res, 400, { error: 'login and password are required' });
  }
  seen.push({ login: body.login, contentType: req.headers['content-type'] ?? '' });
  const user = USERS[body.login.toLowerCase()];
  if (!user || user.password !== body.password) return send(res, 401, { error: 'invalid credentials' });
  return send(res, 200, user.answer);
});

server.listen(Number(process.env.REST_PEER_PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address();
  console.log(`REST_PEER_READY http://127.0.0.1:${port}`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
