package tasklab.jupyter;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.Set;
import javax.imageio.ImageIO;

/** java.awt images (BufferedImage) as PNG. */
final class ImageRenderer implements Renderer<RenderedImage> {
    @Override
    public DisplayData render(RenderedImage img, Set<String> wanted) throws Exception {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        return DisplayData.text("image " + img.getWidth() + "x" + img.getHeight())
                .put("image/png", Base64.getEncoder().encodeToString(png.toByteArray()))
                .size("image/png", img.getWidth(), img.getHeight());
    }
}
