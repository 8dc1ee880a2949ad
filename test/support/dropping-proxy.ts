import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of the service that can lose an answer: armed for an
 * operation name, it forwards the next such request, waits until the service
 * has answered (so the operation took effect), then cuts the client's
 * connection without a byte of the answer, as a dying load balancer would.
 */
export class DroppingProxy {
  private server: Server;
  private dropNext = new Set<string>();
  /** Requests seen, by operationName. */
  readonly seen: string[] = [];
  readonly dropped: string[] = [];
  url = '';

  constructor(private readonly upstream: string) {
    this.server = createServer((req, res) => {
      void this.forward(req).then(
        ({ status, headers, body, operation }) => {
          if (this.dropNext.delete(operation)) {
            this.dropped.push(operation);
            req.socket.destroy();
            return;
          }
          res.writeHead(status, headers).end(body);
        },
        () => req.socket.destroy(),
      );
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
    return this;
  }

  /** The answer of the next request for this operation is lost. */
  dropNextAnswer(operationName: string): void {
    this.dropNext.add(operationName);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async forward(req: IncomingMessage) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    let operation = '';
    try {
      operation = String(JSON.parse(raw.toString()).operationName ?? '');
    } catch {
      // not JSON: forwarded as it is
    }
    this.seen.push(operation);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
    }
    const r = await fetch(this.upstream + (req.url ?? ''), {
      method: req.method,
      headers,
      body: req.method === 'GET' ? undefined : raw,
    });
    const body = Buffer.from(await r.arrayBuffer());
    return { status: r.status, headers: { 'content-type': r.headers.get('content-type') ?? '' }, body, operation };
  }
}
