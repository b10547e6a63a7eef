import { useState } from 'react';
import type { Me } from '../../../api/types';
import { LanguageSwitch } from '../../../components/LanguageSwitch';
import { useI18n } from '../../../i18n/useI18n';

/** The top bar: the name, the language switch and, when signed in, the user and "Sign out". */
export function Header({ me, onSignOut }: { me: Me | null; onSignOut: () => void }) {
  const { t } = useI18n();
  // A profile picture that fails to load is dropped rather than shown as a broken image.
  const [avatarFailed, setAvatarFailed] = useState(false);
  return (
    <header className="header">
      <h1 className="brand">
        <a href="/">{t.appName}</a>
      </h1>
      <div className="header-side">
        <LanguageSwitch />
        {me && (
          <div className="user" role="group" aria-label={t.signedInAs(me.name, me.screenName)}>
            {me.imageUrl && !avatarFailed && (
              <img className="avatar" src={me.imageUrl} alt="" width={32} height={32} onError={() => setAvatarFailed(true)} />
            )}
            <span className="user-names">
              <span className="user-name">{me.name}</span>
              <span className="user-screen">@{me.screenName}</span>
            </span>
            <button type="button" className="button button--quiet" onClick={onSignOut}>
              {t.signOut}
            </button>
          </div>
        )}
      </div>
    </header>
  );
}
