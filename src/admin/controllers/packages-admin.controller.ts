import { Body, Controller, Get, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
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
import type { z } from 'zod';
import { PackagesService } from '../../billing/packages/packages.service';
import type { Tenant } from '../../tenants/tenant.types';
import { AdminAuthGuard } from '../admin-auth.guard';
import { openApiOf } from '../dto/admin-validation';
import { purchaseRequestsQuery, purchaseSchema } from '../dto/billing-admin.schemas';
import { TenantByIdPipe } from '../pipes/tenant-by-id.pipe';
import { ZodValidationPipe } from '../pipes/zod-validation.pipe';

/** Selling token packages. */
@ApiTags('admin: billing')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('admin')
export class PackagesAdminController {
  constructor(private readonly packages: PackagesService) {}

  @Get('packages')
  @ApiOperation({ summary: 'Token packages (prices in integer cents, MXN)' })
  list() {
    return this.packages.listPackages(true);
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
    @Param('id', TenantByIdPipe) tenant: Tenant,
    @Body(new ZodValidationPipe(purchaseSchema, 'purchase')) input: z.output<typeof purchaseSchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { purchase, created, balance } = await this.packages.sell({
      tenantId: tenant.id,
      ...input,
      createdBy: 'admin-api',
    });
    reply.status(created ? 201 : 200);
    return { purchase, balance };
  }

  @Get('purchase-requests')
  @ApiOperation({ summary: 'Packages owners asked for on WhatsApp (pending: to be paid)' })
  @ApiQuery({ name: 'status', required: false, enum: ['pending', 'confirmed', 'cancelled'] })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', default: 100 } })
  requests(
    @Query(new ZodValidationPipe(purchaseRequestsQuery, 'query'))
    q: z.output<typeof purchaseRequestsQuery>,
  ) {
    return this.packages.listRequests(q.status, q.limit);
  }
}
