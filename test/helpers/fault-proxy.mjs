// An HTTP proxy in front of a real server (moto_server) for the deploy tests and bench: it
// records every request (method, path, headers) and can answer the next N matching requests
// with an error status (500/503) or hang them (a timeout) instead of forwarding them.
import http from 'node:http';

export async function startFaultProxy(upstream) {
  const target = new URL(upstream);
  const requests = [];
  const faults = [];
  const server = http.createServer((req, res) => {
    const entry = { method: req.method, url: req.url, headers: { ...req.headers } };
    requests.push(entry);
    const fault = faults.find((f) => f.remaining > 0 && f.match(entry));
    if (fault) {
      fault.remaining--;
      entry.fault = fault.status ?? 'hang';
      if (fault.status) {
        // Drain the body first so the client sees the answer, not a reset.
        req.resume();
        req.on('end', () => {
          res.writeHead(fault.status, { 'content-type': 'application/xml' });
          res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${fault.status === 503 ? 'SlowDown' : 'InternalError'}</Code><Message>injected by the test</Message></Error>`);
        });
      } else {
        req.resume();
      }
      return;
    }
    const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    /** Answer the next `count` requests matching `match` with `status` (or hang them when status is undefined). */
    fail(count, status, match = () => true) {
      faults.push({ remaining: count, status, match });
    },
    reset() {
      requests.length = 0;
      faults.length = 0;
    },
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}
