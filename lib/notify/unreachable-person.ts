/**
 * Whether a Bot API refusal is about the person rather than the message: 403 (blocked, deactivated)
 * or a 400 "chat not found" / "user is deactivated" (Telegram's descriptions). Retrying will not
 * help. Free of Telegraf, so the Mini App's function can ask it too.
 */
export function isUnreachablePerson(status: number, description: string): boolean {
  return status === 403 || (status === 400 && /chat not found|user is deactivated/i.test(description));
}
