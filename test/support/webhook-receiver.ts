import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface Received {
  id: string;
  timestamp: number;
  body: any;
  signatureOk: boolean;
  path: string;
}

/** Verifies a Standard Webhooks signature as a receiver would (README, "Receiving webhooks"). */
export function verify(secret: string, id: string, timestamp: string, body: string, header: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return header.split(' ').some((s) => {
    const [v, sig] = s.split(',');
    const got = Buffer.from(sig ?? '', 'base64');
    return v === 'v1' && got.length === expected.length && timingSafeEqual(got, expected);
  });
}

/**
 * A local webhook receiver. `answer` decides each request's fate: a status, or
 * 'hold' to keep it unanswered until release() (or the sender gives up).
 */
export class Receiver {
  readonly received: Received[] = [];
  private server: Server;
  private held: ServerResponse[] = [];
  secret = '';
  url = '';

  constructor(private answer: (r: Received, attempt: number) => number | 'hold') {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  setAnswer(answer: (r: Received, attempt: number) => number | 'hold'): void {
    this.answer = answer;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString();
      const h = (n: string) => String(req.headers[n] ?? '');
      const r: Received = {
        id: h('webhook-id'),
        timestamp: Number(h('webhook-timestamp')),
        body: JSON.parse(raw),
        signatureOk: verify(this.secret, h('webhook-id'), h('webhook-timestamp'), raw, h('webhook-signature')),
        path: req.url ?? '',
      };
      this.received.push(r);
      const attempt = this.received.filter((x) => x.id === r.id && x.path === r.path).length;
      const fate = this.answer(r, attempt);
      if (fate === 'hold') {
        this.held.push(res);
        return;
      }
      res.writeHead(fate).end();
    });
  }

  /** Requests kept unanswered so far. */
  get holding(): number {
    return this.held.length;
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}
