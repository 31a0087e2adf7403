// A reverse proxy serving a server under a sub-path with the prefix
// stripped, as nginx `location /curator/ { proxy_pass http://up/; }` and
// Traefik's StripPrefix do, passing Host on (Traefik's default). Anything
// outside the prefix gets 404 here. Prints "proxy on http://HOST:PORT".
//
// Usage: node scripts/prefix-proxy.mjs UPSTREAM_URL PREFIX
import http from 'node:http';

const [upstream, prefix] = process.argv.slice(2);
const up = new URL(upstream);
const server = http.createServer((req, res) => {
  const inside = req.url === prefix || req.url.startsWith(`${prefix}/`) || req.url.startsWith(`${prefix}?`);
  if (!inside) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not under the prefix\n');
    return;
  }
  const rest = req.url.slice(prefix.length);
  const path = rest.startsWith('/') ? rest : `/${rest}`;
  const forward = http.request(
    { host: up.hostname, port: up.port, method: req.method, path, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    },
  );
  forward.on('error', () => { res.writeHead(502); res.end('upstream error\n'); });
  req.pipe(forward);
});
server.listen(0, '127.0.0.1', () => {
  console.log(`proxy on http://127.0.0.1:${server.address().port}`);
});
