import { Layout } from "./layout.tsx";

export function SignInPage(props: { readonly next: string; readonly error?: string }) {
  return (
    <Layout title="Sign in" principal={null}>
      <form class="sign-in" method="post" action="/sign-in">
        <p>Sign in with your dashboard token (from whoever runs Evoke; npm start prints a demo one).</p>
        {props.error === undefined ? null : (
          <p class="error" role="alert">
            {props.error}
          </p>
        )}
        <label>
          Token
          <input type="password" name="token" autocomplete="current-password" required autofocus />
        </label>
        <input type="hidden" name="next" value={props.next} />
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}

export function ErrorPage(props: {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly principal: import("../access/principal.ts").Principal | null;
}) {
  return (
    <Layout title={props.title} principal={props.principal}>
      <p class="error" role="alert">
        {props.detail}
      </p>
      <p>
        <a href="/">Back to the overview</a>
      </p>
    </Layout>
  );
}
