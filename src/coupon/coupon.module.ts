import { Module } from '@nestjs/common';
import { CouponResolver } from './coupon.resolver';
import { CouponService } from './coupon.service';
import { MoneyResultCouponResolver } from './money-result-coupon.resolver';

@Module({ providers: [CouponService, CouponResolver, MoneyResultCouponResolver], exports: [CouponService] })
export class CouponModule {}
