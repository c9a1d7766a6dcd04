import { requireCaseFiles } from '../harness/case-files';

// Every stack's tests (`*.cases.ts` here), run as one jest file so they share one build of each
// committed stage: see requireCaseFiles.
requireCaseFiles(__dirname);
