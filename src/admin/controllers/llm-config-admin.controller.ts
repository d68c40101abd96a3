import { Body, Controller, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
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
import { AdminAuthGuard } from '../admin-auth.guard';
import { openApiOf } from '../dto/admin-validation';
import { llmConfigSchema } from '../dto/llm-config-admin.schemas';
import { TenantByIdPipe } from '../pipes/tenant-by-id.pipe';
import { ZodValidationPipe } from '../pipes/zod-validation.pipe';
import { LlmConfigAdminService } from '../services/llm-config-admin.service';

/** A shop's own OpenRouter key and models. The key goes in; only its last 4 come out. */
@ApiTags('admin: llm config')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('admin/tenants/:id/llm-config')
export class LlmConfigAdminController {
  constructor(private readonly service: LlmConfigAdminService) {}

  @Get()
  @ApiOperation({ summary: "The shop's LLM settings (API key masked)" })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  get(@Param('id', TenantByIdPipe) tenant: Tenant) {
    return this.service.get(tenant.id);
  }

  @Put()
  @ApiOperation({
    summary: "Change the shop's LLM settings",
    description:
      'Absent fields are left as they are; null clears one. The API key is encrypted at rest and never returned.',
  })
  @ApiBody({ schema: openApiOf(llmConfigSchema) })
  @ApiBadRequestResponse({ description: '`errors` lists each field and reason' })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  put(
    @Param('id', TenantByIdPipe) tenant: Tenant,
    @Body(new ZodValidationPipe(llmConfigSchema, 'LLM configuration'))
    patch: z.output<typeof llmConfigSchema>,
  ) {
    return this.service.update(tenant.id, patch);
  }

  @Post('test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'One tiny real call with these settings → { ok, model, latencyMs, error? }',
    description: "Recorded in the shop's usage as operation 'test'; not charged to its balance.",
  })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  test(@Param('id', TenantByIdPipe) tenant: Tenant) {
    return this.service.test(tenant.id);
  }
}
