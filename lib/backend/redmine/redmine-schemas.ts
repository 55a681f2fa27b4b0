import * as v from 'valibot';

/**
 * Redmine's REST answers as valibot schemas: only the fields the bot reads, checked at the edge
 * like the contract's (lib/backend/schemas.ts), so a Redmine that answers something else is an
 * `invalid-response`, never a crash further up.
 */

const Id = v.pipe(v.number(), v.integer(), v.minValue(1));
const Named = v.object({ id: Id, name: v.string() });
const Time = v.pipe(v.string(), v.isoTimestamp());
/** Redmine leaves text out, or null, when empty: always a string here. */
const Text = v.pipe(
  v.optional(v.nullable(v.string()), ''),
  v.transform((value): string => value ?? ''),
);

export const RedmineProjectSchema = v.object({
  id: Id,
  name: v.string(),
  identifier: v.string(),
  status: v.optional(v.number()),
  parent: v.optional(Named),
  trackers: v.optional(v.array(Named), []),
  issue_categories: v.optional(v.array(Named), []),
});
export type RedmineProject = v.InferOutput<typeof RedmineProjectSchema>;
export const RedmineProjectListSchema = v.object({
  projects: v.array(RedmineProjectSchema),
  total_count: v.number(),
  offset: v.number(),
  limit: v.number(),
});
export const RedmineProjectAnswerSchema = v.object({ project: RedmineProjectSchema });

export const RedmineStatusSchema = v.object({ id: Id, name: v.string(), is_closed: v.optional(v.boolean(), false) });
export type RedmineStatus = v.InferOutput<typeof RedmineStatusSchema>;
export const RedmineStatusListSchema = v.object({ issue_statuses: v.array(RedmineStatusSchema) });

const CustomFieldValue = v.object({ id: Id, name: v.string(), value: v.nullish(v.union([v.string(), v.array(v.string())])) });

export const RedmineAttachmentSchema = v.object({
  id: Id,
  filename: v.string(),
  filesize: v.optional(v.number()),
  content_type: v.nullish(v.string()),
  description: Text,
  content_url: v.string(),
  created_on: v.optional(Time),
});
export type RedmineAttachment = v.InferOutput<typeof RedmineAttachmentSchema>;

export const RedmineJournalSchema = v.object({
  id: Id,
  user: v.optional(Named),
  notes: Text,
  created_on: Time,
  private_notes: v.optional(v.boolean(), false),
  details: v.optional(
    v.array(
      v.object({
        property: v.string(),
        name: v.string(),
        old_value: v.nullish(v.string()),
        new_value: v.nullish(v.string()),
      }),
    ),
    [],
  ),
});
export type RedmineJournal = v.InferOutput<typeof RedmineJournalSchema>;

export const RedmineIssueSchema = v.object({
  id: Id,
  project: Named,
  tracker: Named,
  status: Named,
  category: v.optional(Named),
  author: v.optional(Named),
  subject: v.string(),
  description: Text,
  created_on: Time,
  updated_on: Time,
  closed_on: v.nullish(Time),
  custom_fields: v.optional(v.array(CustomFieldValue), []),
  journals: v.optional(v.array(RedmineJournalSchema), []),
  attachments: v.optional(v.array(RedmineAttachmentSchema), []),
});
export type RedmineIssue = v.InferOutput<typeof RedmineIssueSchema>;
export const RedmineIssueAnswerSchema = v.object({ issue: RedmineIssueSchema });
export const RedmineIssueListSchema = v.object({
  issues: v.array(RedmineIssueSchema),
  total_count: v.number(),
  offset: v.number(),
  limit: v.number(),
});

export const RedmineUploadAnswerSchema = v.object({ upload: v.object({ token: v.string() }) });
export const RedmineCurrentUserSchema = v.object({ user: v.object({ id: Id, login: v.string(), admin: v.optional(v.boolean(), false) }) });
export const RedmineCustomFieldListSchema = v.object({
  custom_fields: v.array(v.object({ id: Id, name: v.string(), customized_type: v.string(), is_filter: v.optional(v.boolean()) })),
});
/** Anything: `PUT` answers 204 with no body, read as `null`. */
export const NoContentSchema = v.unknown();
