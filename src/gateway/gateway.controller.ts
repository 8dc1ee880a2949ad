import { Body, Controller, Header, HttpCode, Logger, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/roles.decorator';
import { GatewayService } from './gateway.service';

/**
 * `POST /notify/recharge`: signed, not authenticated by key. The body is the
 * gateway's protocol: `success` for a first or repeated delivery; `fail` with
 * 400 for a delivery we refuse (it changed nothing), or with 503 when our side
 * failed transiently, so that the gateway retries.
 */
@Controller('notify')
export class GatewayController {
  private readonly logger = new Logger(GatewayController.name);

  constructor(private readonly gateway: GatewayService) {}

  @Post('recharge')
  @Public()
  @HttpCode(200)
  @Header('Content-Type', 'text/plain; charset=utf-8')
  async recharge(
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<string> {
    const outcome = await this.gateway.notifyRecharge(body, req.ip ?? null);
    if (outcome.ok) return 'success';
    this.logger.warn(`gateway recharge refused: ${outcome.reason}`);
    res.status(outcome.retry ? 503 : 400);
    return 'fail';
  }
}
