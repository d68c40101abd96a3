import { Body, Controller, Get, Param, Put, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { z } from 'zod';
import type { Tenant } from '../../tenants/tenant.types';
import { TenantSettingsService } from '../../tenants/settings/tenant-settings.service';
import { AdminAuthGuard } from '../admin-auth.guard';
import { openApiOf } from '../dto/admin-validation';
import { tenantSettingsSchema } from '../dto/tenant-settings-admin.schemas';
import { TenantByIdPipe } from '../pipes/tenant-by-id.pipe';
import { ZodValidationPipe } from '../pipes/zod-validation.pipe';

/** A shop's switches: response cache, daily close, per-intent model profiles. */
@ApiTags('admin: tenant settings')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('admin/tenants/:id/settings')
export class TenantSettingsAdminController {
  constructor(private readonly settings: TenantSettingsService) {}

  @Get()
  @ApiOperation({ summary: "The shop's switches (defaults when never set)" })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  get(@Param('id', TenantByIdPipe) tenant: Tenant) {
    return this.settings.get(tenant.id);
  }

  @Put()
  @ApiOperation({
    summary: "Change the shop's switches",
    description:
      'Absent fields are left as they are. responseCacheEnabled=false: every question calls the model. dailyCloseTime is HH:MM in the shop time zone. dailyTokenCap: tokens per shop-local day (0 = unlimited, null = DAILY_TOKEN_CAP_DEFAULT); over it the shop gets a friendly reply and no LLM call.',
  })
  @ApiBody({ schema: openApiOf(tenantSettingsSchema) })
  @ApiBadRequestResponse({ description: '`errors` lists each field and reason' })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  put(
    @Param('id', TenantByIdPipe) tenant: Tenant,
    @Body(new ZodValidationPipe(tenantSettingsSchema, 'tenant settings'))
    patch: z.output<typeof tenantSettingsSchema>,
  ) {
    return this.settings.update(tenant.id, patch);
  }
}
