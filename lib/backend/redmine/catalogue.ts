import type { RequestType, ServiceCategory, Side } from '../schemas.js';
import type { RedmineProject } from './redmine-schemas.js';

/**
 * Redmine's project tree as the bot's catalogue: request types are the trackers enabled in the
 * project, sides its active subprojects (the project alone when it has none), service categories
 * each side's issue categories. Ids are Redmine's own (tracker, project, category).
 */
export interface RedmineCatalogue {
  readonly root: RedmineProject;
  readonly sides: readonly RedmineProject[];
}

const ACTIVE = 1;

export function catalogueOf(projects: readonly RedmineProject[], identifier: string): RedmineCatalogue | undefined {
  const root = projects.find((project) => project.identifier === identifier);
  if (root === undefined) return undefined;
  const children = projects.filter((project) => project.parent?.id === root.id && (project.status ?? ACTIVE) === ACTIVE);
  return { root, sides: children.length > 0 ? children : [root] };
}

export function requestTypesOf(catalogue: RedmineCatalogue): RequestType[] {
  return catalogue.root.trackers.map(({ id, name }) => ({ id, name }));
}

export function sidesOf(catalogue: RedmineCatalogue, trackerId: number): Side[] {
  return catalogue.sides.filter((side) => side.trackers.some((tracker) => tracker.id === trackerId)).map(({ id, name }) => ({ id, name }));
}

export function categoriesOf(catalogue: RedmineCatalogue, trackerId: number, sideId: number): ServiceCategory[] {
  const side = catalogue.sides.find((project) => project.id === sideId);
  if (side === undefined || !side.trackers.some((tracker) => tracker.id === trackerId)) return [];
  return side.issue_categories.map(({ id, name }) => ({ id, name, description: undefined }));
}
