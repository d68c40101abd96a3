import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { z } from 'zod';
import { AdminAuthGuard } from '../admin-auth.guard';
import { openApiOf } from '../dto/admin-validation';
import {
  createTenantSchema,
  deleteTenantQuery,
  listTenantsQuery,
  updateTenantSchema,
} from '../dto/tenants-admin.schemas';
import { ZodValidationPipe } from '../pipes/zod-validation.pipe';
import { TenantsAdminService } from '../services/tenants-admin.service';

/** Onboarding shops: the owner's WhatsApp number is what ties messages to a shop. */
@ApiTags('admin: tenants')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('admin/tenants')
export class TenantsAdminController {
  constructor(private readonly service: TenantsAdminService) {}

  @Post()
  @ApiOperation({ summary: 'Create a shop with its owner number (and business number)' })
  @ApiBody({ schema: openApiOf(createTenantSchema) })
  @ApiCreatedResponse({ description: 'The shop, its numbers and its (empty) balance' })
  @ApiBadRequestResponse({ description: '`errors` lists each field and reason' })
  @ApiConflictResponse({ description: 'The WhatsApp number or phone_number_id is taken' })
  create(
    @Body(new ZodValidationPipe(createTenantSchema, 'tenant'))
    input: z.output<typeof createTenantSchema>,
  ) {
    return this.service.create(input);
  }

  @Get()
  @ApiOperation({ summary: 'Shops, newest first' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', default: 50 } })
  @ApiQuery({ name: 'offset', required: false, schema: { type: 'integer', default: 0 } })
  list(
    @Query(new ZodValidationPipe(listTenantsQuery, 'query')) q: z.output<typeof listTenantsQuery>,
  ) {
    return this.service.list(q.limit, q.offset);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One shop with its numbers and token balance' })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  get(@Param('id') id: string) {
    return this.service.get(id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a shop: name, time zone, whether stock may go below zero',
    description:
      'Absent fields are left as they are. allowNegativeStock=false: a sale or removal that would leave a product below zero is refused in WhatsApp, saying why.',
  })
  @ApiBody({ schema: openApiOf(updateTenantSchema) })
  @ApiBadRequestResponse({ description: '`errors` lists each field and reason' })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  update(
    @Param('id') id: string,
    @Body(new ZodValidationPipe(updateTenantSchema, 'tenant'))
    patch: z.output<typeof updateTenantSchema>,
  ) {
    return this.service.update(id, patch);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a shop: its messages and personal data are erased',
    description:
      'Needs `?confirm=<the same id>`. Deleted: its people and numbers, settings, model settings and API key, inbound/outbound messages, chat memory. Kept for accounting: the ledger, purchases, reservations and usage; the shop row stays as a tombstone (status `deleted`, name blanked). Repeating it is harmless (204).',
  })
  @ApiQuery({ name: 'confirm', required: true, schema: { type: 'string', format: 'uuid' } })
  @ApiNoContentResponse({ description: 'Erased' })
  @ApiBadRequestResponse({ description: '`confirm` missing or not the shop id' })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  async erase(
    @Param('id') id: string,
    @Query(new ZodValidationPipe(deleteTenantQuery, 'query')) q: z.output<typeof deleteTenantQuery>,
  ): Promise<void> {
    await this.service.erase(id, q.confirm);
  }
}
