import { Body, Controller, Header, HttpCode, Logger, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/roles.decorator';
import type { HandlerResult } from '../common/idempotency/command';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { GatewayService, NotifyOutcome } from './gateway.service';

/**
 * `POST /notify/recharge`: signed, not authenticated by key. The body is the
 * gateway's protocol: `success` for a first or repeated delivery; `fail` with
 * 400 for a delivery we refuse (it changed nothing), or with 503 when our side
 * failed transiently, so that the gateway retries. A checked delivery is a
 * `recharge` command, run by @Idempotent like the GraphQL mutation.
 */
@Controller('notify')
export class GatewayController {
  private readonly logger = new Logger(GatewayController.name);

  constructor(private readonly gateway: GatewayService) {}

  @Post('recharge')
  @Public()
  @HttpCode(200)
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Idempotent('recharge')
  async recharge(
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<HandlerResult<string>> {
    const checked = await this.gateway.check(body, req.ip ?? null);
    if (!checked.ok) return { reply: this.reply(checked, req, res) };
    const agentBillNo = (body as { agentBillNo?: string }).agentBillNo;
    return { ...checked.spec, present: (o) => this.reply(this.gateway.outcome(o, agentBillNo, req.id), req, res) };
  }

  private reply(outcome: NotifyOutcome, req: FastifyRequest, res: FastifyReply): string {
    if (outcome.ok) return 'success';
    this.logger.warn({ reqId: req.id }, `gateway recharge refused: ${outcome.reason}`);
    res.status(outcome.retry ? 503 : 400);
    return 'fail';
  }
}
