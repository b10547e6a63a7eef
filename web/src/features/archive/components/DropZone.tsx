import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../../i18n/useI18n';
import '../archive.css';

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

/**
 * Makes the whole page a drop target for an archive: while a file is dragged over the window
 * an overlay says where it goes, and dropping it anywhere hands it to `onFile` (the browser
 * would otherwise open the zip in place of the page).
 */
export function DropZone({ onFile }: { onFile: (file: File) => void }) {
  const { t } = useI18n();
  const [over, setOver] = useState(false);
  // dragenter/dragleave fire for every child element crossed: count them.
  const depth = useRef(0);
  const latest = useRef(onFile);
  useEffect(() => {
    latest.current = onFile;
  }, [onFile]);

  useEffect(() => {
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth.current++;
      setOver(true);
    };
    const overFn = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth.current = 0;
      setOver(false);
      const file = e.dataTransfer?.files[0];
      if (file) latest.current(file);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', overFn);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', overFn);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);

  return (
    <div className={over ? 'drop-overlay drop-overlay--on' : 'drop-overlay'} aria-hidden={!over} data-testid="drop-overlay" data-active={over}>
      <div className="drop-overlay-box">
        <p className="drop-overlay-title">{t.dropTitle}</p>
        <p>{t.dropHint}</p>
      </div>
    </div>
  );
}
