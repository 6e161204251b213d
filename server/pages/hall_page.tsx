/**
 * The wall screen page of one hall: the WallScreen island in the dark full-screen theme.
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { WallScreen } from "../../islands/WallScreen.tsx";
import type { WallScreenProps } from "../live/wire.ts";
import { Island, Layout, PRODUCT_NAME } from "./layout.tsx";

/** The hall's wall screen. */
export function HallPage({ props, manifest }: { props: WallScreenProps; manifest: Manifest }) {
  return (
    <Layout title={`${props.hall.name} · ${PRODUCT_NAME}`} manifest={manifest} htmlClass="wall-page">
      <Island name="WallScreen" component={WallScreen} props={props} manifest={manifest} />
    </Layout>
  );
}
