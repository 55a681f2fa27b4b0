/**
 * The namespace every Redis key of one bot lives under: `[REDIS_KEY_PREFIX:]tg<bot id>`.
 *
 * Vercel's Upstash integration connects one database to Production, Preview and Development by
 * default. The bot's id (from its token) keeps a preview deployment's test bot apart from
 * production's; the optional prefix keeps two deployments of the same bot apart (e.g. `staging`).
 */
export function keyNamespace(options: { readonly token: string; readonly prefix?: string | undefined }): string {
  const botId = options.token.split(':')[0];
  return options.prefix ? `${options.prefix}:tg${botId}` : `tg${botId}`;
}
