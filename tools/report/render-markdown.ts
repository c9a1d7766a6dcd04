import type { ChecklistItem } from './checklists';
import type { ControlResult, ControlStatus } from './controls';
import type { SecurityReport } from './security-report';

const STATUS_MARK: Readonly<Record<ControlStatus, string>> = {
  met: '✅ met',
  acknowledged: '⚠️ acknowledged',
  'not met': '❌ NOT MET',
  informational: 'ℹ️ shown',
};

/** Escapes text for a Markdown table cell. */
export function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/([*_<>`[\]])/g, '\\$1')
    .replace(/\r?\n/g, '<br>');
}

/** Code in a table cell: backticks, with the pipe escaped. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join(
    '\n',
  );
}

function anchor(id: string): string {
  return `control-${id.replace(/[^a-z0-9]+/g, '-')}`;
}

function controlRows(control: ControlResult): string[][] {
  const heading = `<a id="${anchor(control.id)}"></a>**${cell(control.control)}**<br>${code(control.id)}: expects ${cell(control.expectation)}`;
  if (control.evidence.length === 0) return [[heading, cell(control.designSection), '(nothing found)', '', STATUS_MARK[control.status]]];
  return control.evidence.map((evidence, index) => [
    index === 0 ? heading : '',
    index === 0 ? cell(control.designSection) : '',
    code(evidence.resource),
    cell(evidence.value) + (evidence.note ? `<br>_${cell(evidence.note)}_` : ''),
    STATUS_MARK[evidence.status],
  ]);
}

function renderControls(report: SecurityReport): string {
  const areas = [...new Set(report.controls.map((control) => control.area))];
  return areas
    .map((area) => {
      const controls = report.controls.filter((control) => control.area === area);
      return `### ${area}\n\n${table(['Control', 'Design document', 'Resource', 'Value found', 'Status'], controls.flatMap(controlRows))}`;
    })
    .join('\n\n');
}

function renderRulePacks(report: SecurityReport): string {
  const { rulePacks } = report;
  const summary = table(
    ['Pack', 'Rules evaluated on every resource', 'Violations', 'Acknowledged findings'],
    rulePacks.packs.map((pack) => [
      pack.pack,
      pack.rules === undefined ? "not counted (the CDK's own lint rules)" : String(pack.rules),
      pack.violations.length === 0
        ? '0'
        : `❌ ${pack.violations.length}: ${pack.violations.map((v) => `${code(v.rule)} on ${code(v.resource)}`).join('<br>')}`,
      String(pack.acknowledgments.length),
    ]),
  );
  const unchecked =
    rulePacks.unchecked.length === 0
      ? 'Every template resource of an AWS type is one the packs can check.'
      : table(
          ['Resource', 'Type', 'Why no pack checks it'],
          rulePacks.unchecked.map((item) => [code(item.resource), code(item.type), cell(item.why)]),
        );
  const acknowledgments = rulePacks.packs
    .filter((pack) => pack.acknowledgments.length > 0)
    .map(
      (pack) =>
        `### ${pack.pack}: ${pack.acknowledgments.length} acknowledged\n\n${table(
          ['Rule', 'Resource', 'Reason'],
          pack.acknowledgments.map((ack) => [code(ack.rule), `${code(ack.resource)}<br>${cell(ack.type)}`, cell(ack.reason)]),
        )}`,
    )
    .join('\n\n');
  return [
    `${rulePacks.resourcesChecked} template resources of AWS types were checked by every pack.`,
    `How the numbers are found: ${rulePacks.method}`,
    summary,
    `### Resources no pack checks\n\n${unchecked}`,
    acknowledgments,
  ].join('\n\n');
}

function checklistRow(item: ChecklistItem, index: number): string[] {
  const implemented = item.implementedBy.map((entry) => {
    const shown = entry.resources.slice(0, 4).map(code).join(', ');
    const more = entry.resources.length > 4 ? ` and ${entry.resources.length - 4} more` : '';
    return `[${code(entry.control)}](#${anchor(entry.control)}) (${entry.status}): ${shown}${more}`;
  });
  return [
    String(index + 1),
    cell(item.item),
    item.status,
    implemented.join('<br>') || '—',
    item.verifiedBy.map(code).join('<br>') || '—',
    item.duty ? cell(item.duty) : '—',
  ];
}

function renderChecklists(report: SecurityReport): string {
  const headers = ['#', 'Item', 'Status', 'Implemented by (control: resources)', 'Verified by', 'Organisational duty'];
  return [
    `### Pre-production\n\n${table(headers, report.checklists.preProduction.map(checklistRow))}`,
    `### Post-production\n\n${table(headers, report.checklists.postProduction.map(checklistRow))}`,
  ].join('\n\n');
}

function renderAuthorization(report: SecurityReport): string {
  const { authorization } = report;
  const callers = [...new Set(authorization.allowed.map((call) => call.caller))].sort();
  const callees = [...new Set(authorization.allowed.map((call) => call.callee))].sort();
  const grid = table(
    ['Caller ↓ / callee →', ...callees.map(code)],
    callers.map((caller) => [
      code(caller),
      ...callees.map((callee) => {
        const calls = authorization.allowed.filter((call) => call.caller === caller && call.callee === callee);
        return calls.length === 0 ? '—' : cell([...new Set(calls.flatMap((call) => call.methods))].join(', ') || 'any method');
      }),
    ]),
  );
  const detail = table(
    ['Caller', 'Principal', 'Callee', 'Methods', 'Paths', 'Ports', 'Policy'],
    authorization.allowed.map((call) => [
      code(call.caller),
      code(call.principal),
      code(call.callee),
      cell(call.methods.join(', ') || 'any'),
      call.paths.map(code).join(', ') || 'any',
      cell(call.ports.join(', ') || 'any'),
      code(call.policy),
    ]),
  );
  const defaults =
    authorization.denyByDefault.length > 0
      ? `Denied by default (an allow-nothing policy) in ${authorization.denyByDefault.map(code).join(', ')}: a request no row below allows is refused.`
      : '❌ No namespace has an allow-nothing policy: requests no policy matches are allowed.';
  const denied =
    authorization.denied.length === 0
      ? ''
      : `\n\nDENY policies (refuse even what an ALLOW row admits):\n\n${table(
          ['Policy', 'Workload', 'Rules'],
          authorization.denied.map((deny) => [code(deny.policy), code(deny.callee), String(deny.rules)]),
        )}`;
  return `${defaults}\n\n${grid}\n\n${detail}${denied}`;
}

/** The report as Markdown, for people. */
export function renderMarkdown(report: SecurityReport): string {
  const { summary } = report;
  const checklistCounts = (items: readonly ChecklistItem[]) =>
    Object.entries(
      items.reduce<Record<string, number>>((counts, item) => ({ ...counts, [item.status]: (counts[item.status] ?? 0) + 1 }), {}),
    )
      .map(([status, count]) => `${count} ${status}`)
      .join(', ');
  return `${[
    `# Security report: ${report.stage}`,
    `Rendered by \`npm run report\` from the synthesized output, not from the source: the CloudFormation templates, \`validation-report.json\` and construct tree of ${code(report.renderedFrom.cloudAssembly)}, and the manifests and Helm values of ${code(report.renderedFrom.manifests)}. What is here is what would be deployed. Regenerate it rather than edit it; compare two reports to review a change.`,
    `## Summary\n\n${table(
      ['', ''],
      [
        [
          'Result',
          summary.passed
            ? '✅ every control met, acknowledged or shown; no rule-pack violation'
            : '❌ see the controls not met or the violations below',
        ],
        [
          'Controls',
          Object.entries(summary.controls)
            .map(([status, count]) => `${count} ${status === 'informational' ? 'shown' : status}`)
            .join(', '),
        ],
        ['Rule-pack violations', String(summary.ruleViolations)],
        ['Acknowledged findings', String(summary.acknowledgments)],
        ['Pre-production checklist', checklistCounts(report.checklists.preProduction)],
        ['Post-production checklist', checklistCounts(report.checklists.postProduction)],
      ],
    )}`,
    `## 1. Controls\n\nStatus: ✅ met; ⚠️ acknowledged: not met, and the template carries a rule-pack acknowledgment saying why (shown in italics); ❌ not met; ℹ️ shown: a value the report shows without judging it.\n\n${renderControls(report)}`,
    `## 2. Rule packs\n\n${renderRulePacks(report)}`,
    `## 3. Design document checklists\n\n${renderChecklists(report)}`,
    `## 4. Service-to-service authorization\n\nFrom the rendered AuthorizationPolicies.\n\n${renderAuthorization(report)}`,
  ].join('\n\n')}\n`;
}
