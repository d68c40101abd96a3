import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { InvalidInputError } from '../../common/errors/domain-error';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
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
import { parseProductsCsv } from '../dto/products-csv';
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

  @Post(':id/products/import')
  @HttpCode(200)
  @ApiOperation({
    summary: "Import a shop's catalogue from a CSV (Content-Type: text/csv)",
    description:
      'Header row, then one product per row. Columns (any order; Spanish names accepted): name|nombre (required), price|precio in pesos (18.50, $1,234.50) or price_cents, cost|costo or cost_cents, stock|existencias, min_stock|minimo, unit|unidad, aliases|alias (separated by | or ;). Comma or semicolon separated. Nothing is saved when any row is invalid; `errors` names each row and column. Same upsert by name as POST /products.',
  })
  @ApiConsumes('text/csv')
  @ApiParam({ name: 'id', description: 'Tenant id (uuid)' })
  @ApiBody({
    schema: { type: 'string', example: 'name,price,cost,stock\nCoca-Cola 600 ml,18.50,12.00,24' },
  })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: { created: { type: 'integer' }, updated: { type: 'integer' } },
    },
  })
  @ApiBadRequestResponse({ description: 'Invalid CSV: `errors` lists each row, column and reason' })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  async importCsv(@Param('id', TenantByIdPipe) tenant: Tenant, @Body() body: unknown) {
    if (typeof body !== 'string') {
      throw new InvalidInputError('Invalid CSV', [
        { field: 'body', reason: 'send the file as text/csv' },
      ]);
    }
    const { created, updated } = await this.store.upsertProducts(tenant.id, parseProductsCsv(body));
    return { created, updated };
  }
}
