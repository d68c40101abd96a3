import { Body, Controller, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { TenantLlmConfigService } from '../tenants/tenant-llm-config.service';
import { TenantsService } from '../tenants/tenants.service';
import { AdminAuthGuard } from './admin-auth.guard';
import { assertTenantId, openApiOf, parseRequest, unknownTenant } from './admin-validation';
import { llmConfigSchema } from './llm-config-admin.schemas';
import { LlmConfigTester } from './llm-config-tester';

/** A shop's own OpenRouter key and models. The key goes in; only its last 4 come out. */
@ApiTags('admin: llm config')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('admin/tenants/:id/llm-config')
export class LlmConfigAdminController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly llmConfig: TenantLlmConfigService,
    private readonly tester: LlmConfigTester,
  ) {}

  @Get()
  @ApiOperation({ summary: "The shop's LLM settings (API key masked)" })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  async get(@Param('id') id: string) {
    await this.requireTenant(id);
    return this.llmConfig.getView(id);
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
  async put(@Param('id') id: string, @Body() body: unknown) {
    await this.requireTenant(id);
    const patch = parseRequest(llmConfigSchema, body, 'LLM configuration');
    return this.llmConfig.update(id, patch);
  }

  @Post('test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'One tiny real call with these settings → { ok, model, latencyMs, error? }',
    description: "Recorded in the shop's usage as operation 'test'; not charged to its balance.",
  })
  @ApiNotFoundResponse({ description: 'Unknown tenant' })
  async test(@Param('id') id: string) {
    await this.requireTenant(id);
    return this.tester.test(id);
  }

  private async requireTenant(id: string): Promise<void> {
    assertTenantId(id);
    if (!(await this.tenants.findById(id))) throw unknownTenant(id);
  }
}
