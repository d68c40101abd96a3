import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { z } from 'zod';
import { StoreService } from '../../store/services/store.service';
import type { Tenant } from '../../tenants/tenant.types';
import { AdminAuthGuard } from '../admin-auth.guard';
import { openApiOf } from '../dto/admin-validation';
import { productsBodySchema } from '../dto/products-admin.schemas';
import { TenantByIdPipe } from '../pipes/tenant-by-id.pipe';
import { ZodValidationPipe } from '../pipes/zod-validation.pipe';

/** Onboarding a shop's catalogue: the operator pastes the owner's product list. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('admin/tenants')
export class ProductsAdminController {
  constructor(private readonly store: StoreService) {}

  @Post(':id/products')
  @HttpCode(200)
  @ApiOperation({
    summary: "Create or update a shop's products by name (case-insensitive)",
    description:
      'Money in integer cents (MXN). Fields left out keep their value on update. A stock change is recorded as a count movement.',
  })
  @ApiParam({ name: 'id', description: 'Tenant id (uuid)' })
  @ApiBody({ schema: openApiOf(productsBodySchema) })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: { created: { type: 'integer' }, updated: { type: 'integer' } },
    },
  })
  @ApiBadRequestResponse({ description: 'Invalid body: `errors` lists each field and reason' })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  async upsert(
    @Param('id', TenantByIdPipe) tenant: Tenant,
    @Body(new ZodValidationPipe(productsBodySchema, 'products'))
    products: z.output<typeof productsBodySchema>,
  ) {
    const { created, updated } = await this.store.upsertProducts(tenant.id, products);
    return { created, updated };
  }
}
