import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, IsString, Length, Max, Min } from 'class-validator';
import { AppIdArgs } from '../../common/dto/app-id.args';
import { SafeInt } from '../../common/graphql/scalars';

/** A lease lasts 1 s .. 1 day; long work renews by taking a new lease. */
export const MAX_LEASE_SECONDS = 86_400;

@ArgsType()
export class AcquireAppLockArgs extends AppIdArgs {
  @Field({ description: 'Who holds the lease (shown by appLock), 1-128 characters.' })
  @IsString()
  @Length(1, 128)
  owner: string;

  @Field(() => Int, { description: `Lease length in seconds, 1 .. ${MAX_LEASE_SECONDS}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_LEASE_SECONDS)
  ttlSeconds: number;
}

@ArgsType()
export class ReleaseAppLockArgs extends AppIdArgs {
  @Field(() => SafeInt, { description: 'The token acquireAppLock gave.' })
  @IsInt()
  @Min(1)
  token: number;
}
