import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiKeyRole } from '../auth/principal';
import { ANY_ROLE, Roles } from '../auth/roles.decorator';
import type { CommandSpec } from '../common/idempotency/command';
import { commandOrigin, CurrentOrigin, RequestOrigin } from '../common/graphql/origin.decorator';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { Coupon, CouponResult, CouponTemplate } from './coupon.model';
import { CouponService } from './coupon.service';
import { CouponsArgs, CouponTemplateInput, IssueCouponInput } from './dto/coupon.inputs';
import { ErrorCode as E } from '../common/errors/error-codes';
import { IDEMPOTENT, opDoc, WHO } from '../common/graphql/op-doc';

@Resolver(() => Coupon)
export class CouponResolver {
  constructor(private readonly service: CouponService) {}

  @Mutation(() => CouponTemplate, {
    description: opDoc('Creates a coupon template (immutable once created).', {
      who: WHO.admin,
      idempotent: 'no: a second template with the same code answers INVALID_ARGUMENT (input.code).',
    }),
  })
  @Roles(ApiKeyRole.ADMIN)
  createCouponTemplate(
    @Args('input', { description: "The template's terms." }) input: CouponTemplateInput,
  ): Promise<CouponTemplate> {
    return this.service.createTemplate(input);
  }

  @Query(() => [CouponTemplate], {
    description: opDoc('Every coupon template.', { who: WHO.any, idempotent: IDEMPOTENT.read, query: true }),
  })
  @Roles(...ANY_ROLE)
  couponTemplates(): Promise<CouponTemplate[]> {
    return this.service.templates();
  }

  @Mutation(() => CouponResult, {
    description: opDoc(
      'Grants an app one coupon of a template: a retry returns the same coupon. ' +
        'Out of stock or over the per-app limit: COUPON_UNAVAILABLE.',
      {
        who: WHO.adminOperator,
        idempotent: IDEMPOTENT.order,
        errors: [E.NOT_FOUND, E.COUPON_UNAVAILABLE, E.IDEMPOTENCY_KEY_REUSED, E.REQUEST_IN_PROGRESS],
      },
    ),
  })
  @Roles(ApiKeyRole.ADMIN, ApiKeyRole.OPERATOR)
  @Idempotent('issueCoupon')
  issueCoupon(
    @Args('input', { description: 'The order: orderNo, appId, templateCode.' }) input: IssueCouponInput,
    @CurrentOrigin() o: RequestOrigin,
  ): CommandSpec {
    // Decided in PostgreSQL: ledger_op_issue_coupon.sql (per-app limit, stock, the coupon).
    return { origin: commandOrigin(o), args: { templateCode: input.templateCode } };
  }

  @Query(() => [Coupon], {
    description: opDoc("An app's coupons, oldest first; EXPIRED: issued, unused and past expiresAt.", {
      who: WHO.any,
      idempotent: IDEMPOTENT.read,
      errors: [E.NOT_FOUND],
      query: true,
    }),
  })
  @Roles(...ANY_ROLE)
  coupons(@Args() { appId, status }: CouponsArgs): Promise<Coupon[]> {
    return this.service.list(appId, status);
  }
}
