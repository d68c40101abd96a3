import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { z } from 'zod';
import { ExperimentReportService } from '../../billing/usage/experiment-report.service';
import { AdminAuthGuard } from '../admin-auth.guard';
import { experimentName, experimentReportQuery } from '../dto/billing-admin.schemas';
import { ZodValidationPipe } from '../pipes/zod-validation.pipe';

/** A/B experiments of model profiles (configured in LLM_EXPERIMENTS) and their arms compared. */
@ApiTags('admin: experiments')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('admin/experiments')
export class ExperimentsAdminController {
  constructor(private readonly reports: ExperimentReportService) {}

  @Get()
  @ApiOperation({ summary: 'The experiments as configured (LLM_EXPERIMENTS)' })
  list() {
    return this.reports.configured();
  }

  @Get(':name/report')
  @ApiOperation({
    summary:
      'Per arm: answers, tokens per answer (mean, p95), USD per answer, fallback-level rates, latency p50/p95, and the share of answers followed within 2 minutes by another question of the same intent from the same chat',
    description:
      "from/to: YYYY-MM-DD (UTC days, to inclusive) or ISO date-times (to exclusive); default the last 30 days. Tokens, cost and latency are those of the answer's model rounds; p95 is nearest-rank. An experiment removed from the config can still be reported by name.",
  })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiBadRequestResponse({ description: 'Bad name or period' })
  report(
    @Param('name', new ZodValidationPipe(experimentName, 'experiment name')) name: string,
    @Query(new ZodValidationPipe(experimentReportQuery, 'query'))
    q: z.output<typeof experimentReportQuery>,
  ) {
    return this.reports.reportForPeriod(name, q);
  }
}
