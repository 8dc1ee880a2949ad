import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiKeyRole } from '../auth/principal';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import type { CommandSpec } from '../common/idempotency/command';
import { CurrentOrigin, RequestOrigin } from '../common/graphql/origin.decorator';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { Coupon, CouponResult, CouponTemplate } from './coupon.model';
import { CouponService } from './coupon.service';
import { CouponsArgs, CouponTemplateInput, IssueCouponInput } from './dto/coupon.inputs';

@Resolver(() => Coupon)
export class CouponResolver {
  constructor(private readonly service: CouponService) {}

  @Mutation(() => CouponTemplate, { description: 'Creates a coupon template (immutable once created).' })
  @Roles(ApiKeyRole.ADMIN)
  createCouponTemplate(@Args('input') input: CouponTemplateInput): Promise<CouponTemplate> {
    return this.service.createTemplate(input);
  }

  @Query(() => [CouponTemplate])
  @Roles(...ANY_ROLE)
  couponTemplates(): Promise<CouponTemplate[]> {
    return this.service.templates();
  }

  @Mutation(() => CouponResult, {
    description:
      'Grants an app one coupon of a template. Idempotent on (appId, orderNo): a retry returns the same coupon. ' +
      'Out of stock or over the per-app limit: COUPON_UNAVAILABLE.',
  })
  @Roles(ApiKeyRole.ADMIN, ApiKeyRole.OPERATOR)
  @Idempotent('issueCoupon')
  issueCoupon(@Args('input') input: IssueCouponInput, @CurrentOrigin() o: RequestOrigin): CommandSpec {
    // Decided in PostgreSQL: ledger_op_issue_coupon.sql (per-app limit, stock, the coupon).
    return { origin: { user: o.label, srcIp: o.srcIp }, args: { templateCode: input.templateCode } };
  }

  @Query(() => [Coupon], { description: "An app's coupons, oldest first; EXPIRED: issued, unused and past expiresAt." })
  @Roles(...ANY_ROLE)
  coupons(@Args() { appId, status }: CouponsArgs): Promise<Coupon[]> {
    return this.service.list(appId, status);
  }
}
