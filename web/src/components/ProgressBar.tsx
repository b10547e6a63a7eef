/** An indeterminate progress bar (the length of the wait is unknown). */
export function ProgressBar({ label }: { label: string }) {
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-busy="true">
      <div className="progress-bar" />
    </div>
  );
}
