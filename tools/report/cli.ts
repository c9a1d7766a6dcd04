import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { loadSynthesizedStage, stagesIn } from '../synthesized/synthesized-stage';
import { renderMarkdown } from './render-markdown';
import { buildSecurityReport, type SecurityReport } from './security-report';

/** Where `npm run report` writes: `<out>/<stage>/security-report.{md,json}`. */
export const REPORT_FILE = 'security-report';

/** Output streams of the CLI; tests pass their own. */
export interface ReportCliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

interface ReportOptions {
  readonly cloudAssembly: string;
  readonly manifests: string;
  readonly out: string;
  readonly stage?: string[];
}

/**
 * `npm run report`: renders each stage's security report from the synthesized output and
 * resolves to the exit code: 0 when every stage passes, 1 when a control is not met or a rule
 * pack has a violation (the reports are written either way), 2 on a usage error or missing output.
 */
export async function runReportCli(argv: readonly string[], io: ReportCliIo): Promise<number> {
  const program = new Command('report')
    .description('Render reports/<stage>/security-report.{md,json} from cdk.out and k8s/dist (run npm run synth first).')
    .option('--cloud-assembly <dir>', 'the cloud assembly npm run synth wrote', 'cdk.out')
    .option('--manifests <dir>', 'the manifest directory npm run synth wrote', 'k8s/dist')
    .option('--out <dir>', 'where to write the reports', 'reports')
    .option('--stage <name...>', 'only these stages (default: every stage in the cloud assembly)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    return error instanceof CommanderError && error.exitCode === 0 ? 0 : 2;
  }
  const options = program.opts<ReportOptions>();
  let reports: SecurityReport[];
  try {
    if (!fs.existsSync(path.join(options.cloudAssembly, 'manifest.json'))) {
      throw new Error(`${options.cloudAssembly} is not a cloud assembly; run npm run synth first`);
    }
    const stages = options.stage ?? stagesIn(options.cloudAssembly);
    reports = stages.map((stage) => buildSecurityReport(loadSynthesizedStage(options.cloudAssembly, options.manifests, stage)));
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return 2;
  }
  for (const report of reports) {
    const dir = path.join(options.out, report.stage);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${REPORT_FILE}.json`), `${JSON.stringify(report, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, `${REPORT_FILE}.md`), renderMarkdown(report));
    const { controls, ruleViolations, acknowledgments, passed } = report.summary;
    io.out(
      `${report.stage}: ${controls.met} controls met, ${controls.acknowledged} acknowledged, ${controls['not met']} not met, ` +
        `${controls.informational} shown; ${ruleViolations} rule-pack violations, ${acknowledgments} acknowledged findings -> ${dir}/${REPORT_FILE}.md${passed ? '' : '  FAILED'}\n`,
    );
    for (const control of report.controls.filter((candidate) => candidate.status === 'not met')) {
      const failing = control.evidence
        .filter((evidence) => evidence.status === 'not met')
        .map((evidence) => `${evidence.resource}: ${evidence.value}`);
      io.err(
        `  ${report.stage}: ${control.id} not met (expects ${control.expectation}): ${failing.join('; ') || 'nothing implements it'}\n`,
      );
    }
  }
  return reports.every((report) => report.summary.passed) ? 0 : 1;
}
