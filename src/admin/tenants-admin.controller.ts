import { Body, Controller, Get, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { BillingService } from '../billing/billing.service';
import { TenantsService } from '../tenants/tenants.service';
import { AdminAuthGuard } from './admin-auth.guard';
import { assertTenantId, openApiOf, parseRequest, unknownTenant } from './admin-validation';
import { tenantView } from './tenant-view';
import { createTenantSchema, listTenantsQuery } from './tenants-admin.schemas';

/** Onboarding shops: the owner's WhatsApp number is what ties messages to a shop. */
@ApiTags('admin: tenants')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('admin/tenants')
export class TenantsAdminController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly billing: BillingService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a shop with its owner number (and business number)' })
  @ApiBody({ schema: openApiOf(createTenantSchema) })
  @ApiCreatedResponse({ description: 'The shop, its numbers and its (empty) balance' })
  @ApiBadRequestResponse({ description: '`errors` lists each field and reason' })
  @ApiConflictResponse({ description: 'The WhatsApp number or phone_number_id is taken' })
  async create(@Body() body: unknown) {
    const input = parseRequest(createTenantSchema, body, 'tenant');
    const details = await this.tenants.create(input);
    return tenantView(details, await this.billing.getBalance(details.tenant.id));
  }

  @Get()
  @ApiOperation({ summary: 'Shops, newest first' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', default: 50 } })
  @ApiQuery({ name: 'offset', required: false, schema: { type: 'integer', default: 0 } })
  async list(@Query() query: unknown) {
    const { limit, offset } = parseRequest(listTenantsQuery, query, 'query');
    const all = await this.tenants.list(limit, offset);
    const items = await Promise.all(
      all.map(async (d) => tenantView(d, await this.billing.getBalance(d.tenant.id))),
    );
    return { items, limit, offset };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One shop with its numbers and token balance' })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  async get(@Param('id') id: string) {
    assertTenantId(id);
    const details = await this.tenants.getDetails(id);
    if (!details) throw unknownTenant(id);
    return tenantView(details, await this.billing.getBalance(id));
  }
}
