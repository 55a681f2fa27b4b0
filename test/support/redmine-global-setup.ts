// Says once per run whether the Redmine suite (test/backend/redmine) runs or is skipped, and why.
import { localRedmine, redmineStatePath } from './redmine.js';

export default async function setup(): Promise<void> {
  const redmine = await localRedmine();
  if (redmine === undefined && process.env.REDMINE_REQUIRED === '1') {
    throw new Error(`[redmine] REDMINE_REQUIRED=1 but no Redmine answers (state file ${redmineStatePath()}): run bash tools/redmine/setup.sh`);
  }
  if (redmine === undefined) {
    console.log(`[redmine] suite skipped: no Redmine answers (state file ${redmineStatePath()}); run bash tools/redmine/setup.sh to run it`);
  }
}
