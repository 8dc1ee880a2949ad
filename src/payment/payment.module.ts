import { Module } from '@nestjs/common';
import { CouponModule } from '../coupon/coupon.module';
import { EntitlementModule } from '../entitlement/entitlement.module';
import { PriceModule } from '../price/price.module';
import { PaymentResolver } from './payment.resolver';
import { PaymentService } from './payment.service';

@Module({
  imports: [PriceModule, EntitlementModule, CouponModule],
  providers: [PaymentService, PaymentResolver],
  exports: [PaymentService],
})
export class PaymentModule {}
