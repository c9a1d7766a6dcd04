import * as fs from 'node:fs';
import type { IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1 } from 'aws-cdk-lib';
import { scanDocument, type Leak } from './leak-scan';

/**
 * The leak scan as a policy-validation plugin: every synthesized template and its asset manifest
 * are scanned, and a finding fails synthesis (severity `fatal`, which no acknowledgment can
 * suppress), so no secret reaches `cdk.out`, a diff or a deployment.
 */
export class SecretLeakScan implements IPolicyValidationPluginBeta1 {
  public readonly name = 'Secret Leak Scan';

  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const leaks = context.templatePaths.flatMap((templatePath) => {
      const found = scanDocument(JSON.parse(fs.readFileSync(templatePath, 'utf8')), 'cloudformation', templatePath);
      const assetManifest = templatePath.replace(/\.template\.json$/, '.assets.json');
      if (assetManifest !== templatePath && fs.existsSync(assetManifest)) {
        found.push(...scanDocument(JSON.parse(fs.readFileSync(assetManifest, 'utf8')), 'asset-manifest', assetManifest));
      }
      return found.map((leak) => ({ leak, templatePath }));
    });
    return {
      success: leaks.length === 0,
      violations: leaks.map(({ leak, templatePath }) => ({
        ruleName: leak.kind,
        description: `Secret material in ${leak.file} at ${leak.path}: ${leak.detail}`,
        fix: 'Read the value at deployment (a {{resolve:secretsmanager:…}} dynamic reference, GenerateSecretString, External Secrets), never write it down',
        severity: 'fatal',
        violatingResources: [{ resourceLogicalId: logicalIdOf(leak), templatePath, locations: [leak.path] }],
      })),
    };
  }
}

function logicalIdOf(leak: Leak): string {
  return /^Resources\.([^.[]+)/.exec(leak.path)?.[1] ?? leak.path.split(/[.[]/)[0];
}
