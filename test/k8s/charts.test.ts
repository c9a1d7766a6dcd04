import { requireCaseFiles } from '../harness/case-files';

// Every chart's tests (`*.cases.ts` here and in gateway/), run as one jest file so they share one
// load of cdk8s and the Kubernetes models and the harness's renders: see requireCaseFiles.
requireCaseFiles(__dirname);
