package dev.qrnnstreams.cli;

import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.Readout;
import dev.qrnnstreams.train.ClassificationDataset;
import dev.qrnnstreams.train.LearningRateSchedule;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value converters shared by the commands: lower-case names of the project's enums. */
final class OptionConverters {
    private OptionConverters() {
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not one of "
                    + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    /** {@code sst2} or {@code imdb}. */
    static final class Dataset implements ITypeConverter<ClassificationDataset> {
        @Override
        public ClassificationDataset convert(String value) {
            return parse(ClassificationDataset.class, value);
        }
    }

    /** {@code f}, {@code fo} or {@code ifo}. */
    static final class PoolingName implements ITypeConverter<Pooling> {
        @Override
        public Pooling convert(String value) {
            return parse(Pooling.class, value);
        }
    }

    /** {@code constant}, {@code linear} or {@code cosine}. */
    static final class Schedule implements ITypeConverter<LearningRateSchedule.Shape> {
        @Override
        public LearningRateSchedule.Shape convert(String value) {
            return parse(LearningRateSchedule.Shape.class, value);
        }
    }

    /** {@code last} or {@code pooled}. */
    static final class ReadoutName implements ITypeConverter<Readout> {
        @Override
        public Readout convert(String value) {
            return parse(Readout.class, value);
        }
    }
}
