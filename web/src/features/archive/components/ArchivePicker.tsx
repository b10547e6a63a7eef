import { useId } from 'react';
import { useI18n } from '../../../i18n/useI18n';

/** A button-looking file picker for the archive (.zip, or tweets.js on its own). */
export function ArchivePicker({ onPick, label, primary = false }: { onPick: (file: File) => void; label?: string; primary?: boolean }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <span className="file-pick">
      <input
        id={id}
        className="visually-hidden"
        type="file"
        accept=".zip,.js,application/zip"
        data-testid="archive-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = ''; // picking the same file again must fire again
          if (file) onPick(file);
        }}
      />
      <label htmlFor={id} className={`button ${primary ? 'button--primary' : 'button--secondary'}`}>
        {label ?? t.useArchive}
      </label>
    </span>
  );
}
