// A link that downloads bytes made in the page under a given file name. The object URL
// lives as long as the link and is released with it.
import { useEffect, useState, type ReactNode } from 'react';
import { DownloadOutlined } from '@ant-design/icons';

interface DownloadLinkProps {
  data: BlobPart;
  type: string;
  name: string;
  testId?: string;
  children?: ReactNode;
}

export function DownloadLink({ data, type, name, testId, children }: DownloadLinkProps) {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    const u = URL.createObjectURL(new Blob([data], { type }));
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [data, type]);
  return (
    <a href={url} download={name} data-testid={testId} aria-disabled={!url}>
      <DownloadOutlined /> {children ?? name}
    </a>
  );
}
