// The config's announced changes (R31-R34), shown above both pages: role grants and a parameter
// set waiting for their time (and, for a role, for the new key to accept), and revoked roles.
import { useApp } from '../context';
import { pendingChanges, revokedRoles } from '../lib/changes';
import { shortAddress } from '../lib/format';
import { Badge, Countdown, useTokenText } from './bits';

/** The pending role and parameter changes with their effective times; nothing when none. */
export function ConfigChanges() {
  const { config, now } = useApp();
  const tokenText = useTokenText();
  const changes = pendingChanges(config, now, tokenText);
  const revoked = revokedRoles(config, now);
  if (changes.length === 0 && revoked.length === 0) return null;
  return (
    <div className="panel changes-panel" data-testid="config-changes">
      <h2>Announced changes</h2>
      <p className="muted small-text">
        A new role key or new parameters take effect only after a full exit’s time: whoever starts leaving when a change is announced is out, and not held, before it applies.
      </p>
      <ul>
        {changes.map((c) => (
          <li key={c.subject} data-testid="config-change">
            <strong>{c.subject}</strong>
            {c.key !== null && (
              <>
                {' '}
                → <code title={c.key}>{shortAddress(c.key)}</code>
              </>
            )}
            {c.details.length > 0 && <>: {c.details.join('; ')}</>}
            {' · '}
            {c.accepted === false ? (
              <>
                <Badge tone="warn">waiting for the new key to accept</Badge> takes effect once it accepts, at the earliest <Countdown until={c.effectiveAt} />
              </>
            ) : (
              <>
                {c.accepted === true && <Badge tone="info">accepted</Badge>} takes effect <Countdown until={c.effectiveAt} />
              </>
            )}
          </li>
        ))}
        {revoked.length > 0 && (
          <li data-testid="config-revoked">
            <strong>Revoked</strong>: {revoked.join(', ')} (nobody holds {revoked.length === 1 ? 'this role' : 'these roles'} now)
          </li>
        )}
      </ul>
    </div>
  );
}
