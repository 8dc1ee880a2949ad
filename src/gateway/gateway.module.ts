import { Module } from '@nestjs/common';
import { PaymentModule } from '../payment/payment.module';
import { GatewayController } from './gateway.controller';
import { GatewayService } from './gateway.service';

/** The payment gateway's callbacks (REST, signed). */
@Module({ imports: [PaymentModule], controllers: [GatewayController], providers: [GatewayService] })
export class GatewayModule {}
