// The ceiling: a bare node:http server answering every request with a fixed, pre-serialised body. Nothing a
// framework or database adds can be faster, so each scenario is reported as a fraction of this.
// Usage: node --import tsx bench/ceiling-server.ts <port> <body file>
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [port, bodyFile] = process.argv.slice(2);
const body = readFileSync(bodyFile);
createServer((request, response) => {
  request.resume();
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  response.end(body);
}).listen(Number(port), '127.0.0.1', () => process.stderr.write('ready\n'));
