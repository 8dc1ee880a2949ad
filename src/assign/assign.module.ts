import { Module } from '@nestjs/common';
import { AssignResolver } from './assign.resolver';
import { AssignService } from './assign.service';

@Module({ providers: [AssignService, AssignResolver], exports: [AssignService] })
export class AssignModule {}
