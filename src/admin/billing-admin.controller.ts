import {
  Body,
  ConflictException,
  Controller,
  Get,
  Param,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { BillingService } from '../billing/billing.service';
import {
  PaymentRefConflictError,
  PurchasesService,
  UnknownPackageError,
} from '../billing/purchases.service';
import { UsageReportService } from '../billing/usage-report.service';
import { TenantsService } from '../tenants/tenants.service';
import { AdminAuthGuard } from './admin-auth.guard';
import {
  assertTenantId,
  badRequest,
  openApiOf,
  parseRequest,
  unknownTenant,
} from './admin-validation';
import {
  isDay,
  ledgerQuery,
  purchaseRequestsQuery,
  purchaseSchema,
  usageQuery,
} from './billing-admin.schemas';

const DEFAULT_USAGE_DAYS = 30;

/** Selling token packages and looking at what a shop spent them on. */
@ApiTags('admin: billing')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('admin')
export class BillingAdminController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly billing: BillingService,
    private readonly purchases: PurchasesService,
    private readonly reports: UsageReportService,
  ) {}

  @Get('packages')
  @ApiOperation({ summary: 'Token packages (prices in integer cents, MXN)' })
  async packages() {
    return this.billing.listPackages(true);
  }

  @Post('tenants/:id/purchases')
  @ApiOperation({
    summary: 'Credit a paid package',
    description:
      'Idempotent on paymentRef: repeating the same payment for the same shop and package returns the existing purchase (200) without crediting again.',
  })
  @ApiBody({ schema: openApiOf(purchaseSchema) })
  @ApiCreatedResponse({ description: 'Credited: { purchase, balance }' })
  @ApiOkResponse({ description: 'Already credited by this paymentRef: { purchase, balance }' })
  @ApiBadRequestResponse({ description: '`errors` lists each field and reason' })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  @ApiConflictResponse({ description: 'paymentRef already used for another shop or package' })
  async purchase(
    @Param('id') id: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await this.requireTenant(id);
    const input = parseRequest(purchaseSchema, body, 'purchase');
    try {
      const outcome = await this.purchases.purchase({
        tenantId: id,
        ...input,
        createdBy: 'admin-api',
      });
      reply.status(outcome.created ? 201 : 200);
      return { purchase: outcome.purchase, balance: await this.billing.getBalance(id) };
    } catch (err) {
      if (err instanceof UnknownPackageError) {
        throw badRequest('Invalid purchase', [
          { field: 'packageCode', reason: 'no active package with that code' },
        ]);
      }
      if (err instanceof PaymentRefConflictError) throw new ConflictException(err.message);
      throw err;
    }
  }

  @Get('tenants/:id/balance')
  @ApiOperation({ summary: "A shop's tokens: available, reserved, lifetime purchased and used" })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  async balance(@Param('id') id: string) {
    await this.requireTenant(id);
    return this.billing.getBalance(id);
  }

  @Get('tenants/:id/usage')
  @ApiOperation({
    summary: 'Tokens and cost over a period, grouped by day (shop time zone), model or operation',
    description:
      'from/to: YYYY-MM-DD (days in the shop time zone, to inclusive) or ISO date-times (to exclusive). Default: the last 30 days.',
  })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'groupBy', required: false, enum: ['day', 'model', 'operation'] })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  async usage(@Param('id') id: string, @Query() query: unknown) {
    const tenant = await this.requireTenant(id);
    const q = parseRequest(usageQuery, query, 'query');
    const tz = tenant.timezone;
    const to = q.to ? await this.reports.resolveInstant(q.to, tz, isDay(q.to)) : new Date();
    const from = q.from
      ? await this.reports.resolveInstant(q.from, tz, false)
      : new Date(to.getTime() - DEFAULT_USAGE_DAYS * 86_400_000);
    if (from >= to)
      throw badRequest('Invalid query', [{ field: 'from', reason: 'must be before to' }]);
    return this.reports.usage(id, { from, to, timezone: tz, groupBy: q.groupBy });
  }

  @Get('tenants/:id/ledger')
  @ApiOperation({ summary: "A shop's token ledger, newest first (pass nextCursor for more)" })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', default: 50 } })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  async ledger(@Param('id') id: string, @Query() query: unknown) {
    await this.requireTenant(id);
    const q = parseRequest(ledgerQuery, query, 'query');
    return this.reports.ledger(id, q.limit, q.cursor ?? null);
  }

  @Get('purchase-requests')
  @ApiOperation({ summary: 'Packages owners asked for on WhatsApp (pending: to be paid)' })
  @ApiQuery({ name: 'status', required: false, enum: ['pending', 'confirmed', 'cancelled'] })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', default: 100 } })
  async purchaseRequests(@Query() query: unknown) {
    const q = parseRequest(purchaseRequestsQuery, query, 'query');
    return this.purchases.listRequests(q.status, q.limit);
  }

  private async requireTenant(id: string) {
    assertTenantId(id);
    const tenant = await this.tenants.findById(id);
    if (!tenant) throw unknownTenant(id);
    return tenant;
  }
}
