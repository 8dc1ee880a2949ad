import { Module } from '@nestjs/common';
import { ReconciliationResolver } from './reconciliation.resolver';
import { ReconciliationService } from './reconciliation.service';

@Module({ providers: [ReconciliationService, ReconciliationResolver], exports: [ReconciliationService] })
export class ReconciliationModule {}
