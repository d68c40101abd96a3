import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { z } from 'zod';
import { UsageReportService } from '../../billing/usage/usage-report.service';
import type { Tenant } from '../../tenants/tenant.types';
import { AdminAuthGuard } from '../admin-auth.guard';
import { conversationsQuery, ledgerQuery, usageQuery } from '../dto/billing-admin.schemas';
import { TenantByIdPipe } from '../pipes/tenant-by-id.pipe';
import { ZodValidationPipe } from '../pipes/zod-validation.pipe';

/** What a shop has and what it spent its tokens on. */
@ApiTags('admin: billing')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('admin/tenants/:id')
export class UsageAdminController {
  constructor(private readonly reports: UsageReportService) {}

  @Get('balance')
  @ApiOperation({ summary: "A shop's tokens: available, reserved, lifetime purchased and used" })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  balance(@Param('id', TenantByIdPipe) tenant: Tenant) {
    return this.reports.balance(tenant.id);
  }

  @Get('usage')
  @ApiOperation({
    summary: 'Tokens and cost over a period, grouped by day (shop time zone), model or operation',
    description:
      'from/to: YYYY-MM-DD (days in the shop time zone, to inclusive) or ISO date-times (to exclusive). Default: the last 30 days.',
  })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'groupBy', required: false, enum: ['day', 'model', 'operation'] })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  usage(
    @Param('id', TenantByIdPipe) tenant: Tenant,
    @Query(new ZodValidationPipe(usageQuery, 'query')) q: z.output<typeof usageQuery>,
  ) {
    return this.reports.usageForPeriod(tenant, q);
  }

  @Get('usage/conversations')
  @ApiOperation({
    summary:
      'Cost per conversation: conversations, answers per conversation, tokens and USD per conversation (mean, p95), share of zero-token answers',
    description:
      "A conversation is one chat's questions with gaps under 30 minutes. Tokens are what the shop was charged; p95 is nearest-rank. from/to as for usage (default: the last 30 days).",
  })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  conversations(
    @Param('id', TenantByIdPipe) tenant: Tenant,
    @Query(new ZodValidationPipe(conversationsQuery, 'query'))
    q: z.output<typeof conversationsQuery>,
  ) {
    return this.reports.conversationsForPeriod(tenant, q);
  }

  @Get('ledger')
  @ApiOperation({ summary: "A shop's token ledger, newest first (pass nextCursor for more)" })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', default: 50 } })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  ledger(
    @Param('id', TenantByIdPipe) tenant: Tenant,
    @Query(new ZodValidationPipe(ledgerQuery, 'query')) q: z.output<typeof ledgerQuery>,
  ) {
    return this.reports.ledger(tenant.id, q.limit, q.cursor ?? null);
  }
}
