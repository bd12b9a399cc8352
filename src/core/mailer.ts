import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** False when no SMTP server is configured: callers then only show what they would have sent. */
  readonly enabled: boolean;
  send(mail: OutgoingMail): Promise<void>;
}

export const disabledMailer: Mailer = {
  enabled: false,
  send: () => Promise.reject(new Error('mail is not configured (set SMTP_URL)')),
};

/** One pooled SMTP transport for the process; nothing connects until the first message. */
export function createMailer(smtpUrl: string | undefined, from: string): Mailer {
  if (!smtpUrl) return disabledMailer;
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    enabled: true,
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}
