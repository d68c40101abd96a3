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
import { StoreService } from '../store/store.service';
import { UnknownTenantError } from '../store/store.types';
import { AdminAuthGuard } from './admin-auth.guard';
import { assertTenantId, openApiOf, parseRequest, unknownTenant } from './admin-validation';
import { productsBodySchema } from './products-admin.dto';

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
  async upsert(@Param('id') tenantId: string, @Body() body: unknown) {
    assertTenantId(tenantId);
    const products = parseRequest(productsBodySchema, body, 'products');
    try {
      const result = await this.store.upsertProducts(tenantId, products);
      return { created: result.created, updated: result.updated };
    } catch (err) {
      if (err instanceof UnknownTenantError) throw unknownTenant(tenantId);
      throw err;
    }
  }
}
